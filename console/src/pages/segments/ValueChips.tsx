/** A multiple choice among offered values, as toggle chips (checkboxes underneath, for keyboards and tests). */
export function ValueChips({ values, selected, onChange, label }: { values: readonly string[]; selected: readonly string[]; onChange(next: string[]): void; label: string }) {
  const offered = [...values, ...selected.filter((s) => !values.includes(s))];
  if (offered.length === 0) return <p className="hint">No values in the data yet.</p>;
  const toggle = (v: string) => onChange(selected.includes(v) ? selected.filter((s) => s !== v) : [...selected, v]);
  return (
    <fieldset className="chips">
      <legend className="visually-hidden">{label}</legend>
      {offered.map((v) => (
        <label key={v} className={selected.includes(v) ? 'chip on' : 'chip'}>
          <input type="checkbox" checked={selected.includes(v)} onChange={() => toggle(v)} data-testid="chip" data-value={v} />
          {v}
        </label>
      ))}
    </fieldset>
  );
}
