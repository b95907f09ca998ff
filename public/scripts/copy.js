// The embed builder's "copy" button: shown only when the browser can copy (the textarea
// above it can always be selected by hand).
for (const button of document.querySelectorAll('[data-copy]')) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const source = document.getElementById(button.dataset.copy);
    await navigator.clipboard.writeText(source.value);
    const note = button.parentElement.querySelector('[data-copied]');
    if (note) note.hidden = false;
  });
}
