// Whether Debian's python3-opencv can be imported by /usr/bin/python3: the tests that run OpenCV's dnn module
// live as an oracle skip, saying so, where it cannot.
import { execFileSync } from 'node:child_process';

export const opencvAvailable: boolean = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import cv2'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
