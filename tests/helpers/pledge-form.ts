/**
 * The fields of the representative's form for all goals ("Mijn partij", action savePledges)
 * with one goal filled in, as a browser sends them: `<goal slug>.<field>`. Goals not named
 * are not sent, and stay as they are.
 */
export function pledgeFormFields(party: string, goal: string, values: Record<string, string>): Record<string, string> {
  const goalValues = { baseVersion: '0', stance: 'committed', statement: '', evidenceUrl: '', evidencePage: '', ...values };
  return { party, ...Object.fromEntries(Object.entries(goalValues).map(([field, value]) => [`${goal}.${field}`, value])) };
}
