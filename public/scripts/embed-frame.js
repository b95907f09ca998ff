// Inside an embed: tell the parent page how tall the content is, whenever that changes, and
// when the loader (embed.js) asks. The parent may be any site; the height is all we share.
(() => {
  if (window.parent === window) return;
  let sent = 0;
  const send = (force) => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (!force && height === sent) return;
    sent = height;
    window.parent.postMessage({ type: 'pledgeboard:resize', height }, '*');
  };
  new ResizeObserver(() => send(false)).observe(document.body);
  window.addEventListener('message', (event) => {
    if (event.source === window.parent && event.data && event.data.type === 'pledgeboard:hello') send(true);
  });
  send(true);
})();
