// Keys a scanner types before a scan screen can take them (the page still loading or hydrating, or a client
// navigation between screens) would land in a bare field whose Enter reloads the page, or nowhere. A tiny script
// in the first paint (earlyScanScript, run by the shell layout before any React) buffers them instead, and the
// screen's scan handling drains the buffer in order once it is mounted, so no scan is lost or applied twice.

// The screens that own a scan field; anywhere else keys are left alone.
export const scanPaths = '^/(stock|receiving|picking|counts|transfers|adjust)(/receipt)?/?$';

type Buffer = { text: string; live: number };
declare global {
  interface Window {
    __earlyScans?: Buffer;
  }
}

// Plain ES5 so it runs as-is from the HTML. Printable keys and a scan-ending Enter (or Tab) are kept while no screen
// has claimed the keyboard; Enter and Tab with nothing buffered pass through, so buttons stay usable.
export const earlyScanScript = `(function(){
  if (window.__earlyScans) return;
  var b = window.__earlyScans = { text: '', live: 0 };
  var paths = new RegExp(${JSON.stringify(scanPaths)});
  document.addEventListener('keydown', function (e) {
    if (b.live || !paths.test(location.pathname) || e.ctrlKey || e.metaKey || e.altKey) return;
    var a = document.activeElement;
    if (a && a !== document.body && !a.hasAttribute('data-scan-field')) return;
    var open = b.text && b.text.charAt(b.text.length - 1) !== '\\n';
    if (e.key.length === 1) b.text += e.key;
    else if ((e.key === 'Enter' || e.key === 'Tab') && open) b.text += '\\n';
    else return;
    e.preventDefault();
    e.stopImmediatePropagation();
  }, true);
})();`;

// Claims the keyboard for a mounted scan screen: returns the whole scans buffered so far (in order) and the
// half-typed rest, and gives the keyboard back to the buffer when the screen goes away.
export function claimEarlyScans(): { scans: string[]; rest: string; release: () => void } {
  const b = window.__earlyScans;
  if (!b) return { scans: [], rest: '', release: () => {} };
  b.live++;
  const parts = b.text.split('\n');
  b.text = '';
  const rest = parts.pop() ?? '';
  return {
    scans: parts.filter((s) => s.trim()),
    rest,
    release: () => {
      b.live = Math.max(0, b.live - 1);
    },
  };
}
