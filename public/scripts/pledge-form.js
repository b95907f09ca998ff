// Progressive enhancement for the representative's form ("Mijn partij"); the page works
// without it. Loaded as a file: the site's CSP allows no inline script.
// - The error summary takes focus (autofocus does it too, where the browser honours it), and
//   its links bring the field's label or legend into view, not only the field (GOV.UK).
// - A character count that says, as one types, how many characters are left or too many.
// - Leaving the page with changes not saved asks first.

const summary = document.querySelector('[data-error-summary]');
if (summary && document.activeElement !== summary) summary.focus();
summary?.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
  const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) return;
  event.preventDefault();
  const caption = target.closest('fieldset')?.querySelector('legend') ?? document.querySelector(`label[for="${CSS.escape(target.id)}"]`) ?? target;
  caption.scrollIntoView();
  target.focus({ preventScroll: true });
});

const numberFormat = new Intl.NumberFormat(document.documentElement.lang || 'nl');
const plural = new Intl.PluralRules(document.documentElement.lang || 'nl');
for (const status of document.querySelectorAll('[data-char-count]')) {
  const field = document.getElementById(status.dataset.for);
  const hint = document.getElementById(`${status.dataset.for}-hint`);
  if (!field || !hint) continue;
  const max = Number(status.dataset.max);
  let timer;
  const update = () => {
    // Counted as the server counts: line breaks as one character, no white space at the edges.
    const length = field.value.trim().length;
    const left = max - length;
    const count = Math.abs(left);
    const form = plural.select(count) === 'one' ? 'One' : 'Other';
    const text = (left >= 0 ? status.dataset[`left${form}`] : status.dataset[`over${form}`]).replace('{count}', numberFormat.format(count));
    hint.textContent = text;
    hint.classList.toggle('field__hint--over', left < 0);
    // Screen readers hear the count once typing pauses, not at every key.
    clearTimeout(timer);
    timer = setTimeout(() => {
      status.textContent = text;
    }, 1000);
  };
  hint.textContent = '';
  update();
  status.textContent = '';
  field.addEventListener('input', update);
}

for (const form of document.querySelectorAll('form[data-unsaved-warning]')) {
  // After a refused save the form holds what was typed, not what is saved: unsaved already.
  let dirty = form.dataset.unsaved === 'true';
  form.addEventListener('input', () => {
    dirty = true;
  });
  form.addEventListener('change', () => {
    dirty = true;
  });
  form.addEventListener('submit', () => {
    dirty = false;
  });
  window.addEventListener('beforeunload', (event) => {
    if (!dirty) return;
    event.preventDefault();
  });
}
