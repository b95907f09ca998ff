/* Pledgeboard embeds: one loader resizes every embed on the page to its content's height. */
(function () {
  if (window.__pledgeboardEmbeds) return;
  window.__pledgeboardEmbeds = 1;
  var origin = new URL(document.currentScript.src).origin;
  function frames() {
    return Array.prototype.filter.call(document.getElementsByTagName('iframe'), function (f) {
      return f.src.indexOf(origin + '/') === 0;
    });
  }
  addEventListener('message', function (e) {
    if (e.origin !== origin || !e.data || e.data.type !== 'pledgeboard:resize') return;
    frames().forEach(function (f) {
      if (f.contentWindow === e.source) {
        f.style.height = Math.min(Math.max(e.data.height | 0, 50), 20000) + 'px';
        f.setAttribute('scrolling', 'no');
      }
    });
  });
  function hello() {
    frames().forEach(function (f) {
      if (f.contentWindow) f.contentWindow.postMessage({ type: 'pledgeboard:hello' }, origin);
    });
  }
  hello();
  addEventListener('load', hello);
})();
