// The net's picture on the page. DRAW-PLACEHOLDER: until `drawNet` (src/draw/, the "draw" work) is on this
// branch, this shows a plain list of the layers in execution order instead of the graph.
import type { Net } from '../src/index.js';

export async function renderGraph(net: Net, target: HTMLElement): Promise<void> {
  target.replaceChildren();
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = 'Graph drawing (drawNet) is not in this build yet; the layers in execution order:';
  const list = document.createElement('ol');
  list.className = 'layer-list';
  for (const layer of net.layers) {
    const item = document.createElement('li');
    item.textContent = `${layer.name} (${layer.type})`;
    list.append(item);
  }
  target.append(note, list);
}
