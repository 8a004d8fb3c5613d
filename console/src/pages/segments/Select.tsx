/** A labelled select of offered values; `any` adds an empty first choice with that label. */
export function Select({ label, value, values, onChange, any, labels, testId }: {
  label: string;
  value: string;
  values: readonly string[];
  onChange(v: string): void;
  any?: string;
  labels?: Record<string, string>;
  testId?: string;
}) {
  const offered = value === '' || values.includes(value) ? values : [value, ...values];
  return (
    <label className="field inline">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {any !== undefined || value === '' ? <option value="">{any ?? 'choose…'}</option> : null}
        {offered.map((v) => (
          <option key={v} value={v}>
            {labels?.[v] ?? v}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A labelled text or number input holding text (the tree keeps numbers as typed). */
export function TextInput({ label, value, onChange, numeric, placeholder, testId }: {
  label: string;
  value: string;
  onChange(v: string): void;
  numeric?: boolean;
  placeholder?: string;
  testId?: string;
}) {
  return (
    <label className="field inline">
      <span>{label}</span>
      <input
        value={value}
        inputMode={numeric ? 'decimal' : undefined}
        className={numeric ? 'num-input' : undefined}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    </label>
  );
}
