// Progressive enhancement for the pledge form: warn while typing when a statement uses the
// outdated term "kinderporno" (the server shows the same warning after saving, without JS).
// The same pattern as src/domain/terminology.ts (a unit test keeps the two equal).
const OUTDATED = /\b(?:kinder|kiddie)[\s-]*porn\w*|\bchild[\s-]*porn\w*/i;

for (const warning of document.querySelectorAll('[data-term-warning]')) {
  const field = warning.closest('.field')?.querySelector('textarea');
  if (!field) continue;
  const update = () => {
    const show = OUTDATED.test(field.value);
    warning.textContent = show ? warning.dataset.message : '';
  };
  field.addEventListener('input', update);
}
