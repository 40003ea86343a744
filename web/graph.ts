// The net's picture on the page: brewnet's own drawNet (src/draw/: Graphviz in WebAssembly), the same SVG
// `brewnet draw` writes — layers with their key parameters, blob shapes on the edges, Crop offsets and merges
// checked (red where wrong), receptive fields and coordinate maps on hover. Clicking a box highlights it.
import { drawNet, type Net } from '../src/index.js';

export async function renderGraph(net: Net, target: HTMLElement, highlight: string[] = []): Promise<void> {
  target.replaceChildren();
  let svg: string;
  try {
    svg = await drawNet(net, { highlight });
  } catch (e) {
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = `The graph could not be drawn: ${(e as Error).message}`;
    target.append(note);
    return;
  }
  const holder = document.createElement('div');
  holder.className = 'graph-svg';
  // drawNet's SVG is brewnet's own markup: names from the net reach it only as escaped text.
  holder.innerHTML = svg;
  holder.addEventListener('click', (event) => {
    const box = (event.target as Element | null)?.closest?.('[data-layer]');
    const layer = box?.getAttribute('data-layer');
    if (layer) void renderGraph(net, target, highlight.includes(layer) ? [] : [layer]);
  });
  target.append(holder);
}
