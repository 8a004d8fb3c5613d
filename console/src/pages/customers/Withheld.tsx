/** A value as the API gave it; null (masked or absent) shows as "withheld" or a dash. */
export function Withheld({ value, nullLabel = '–' }: { value: string | null | undefined; nullLabel?: string }) {
  if (value === null || value === undefined || value === '') return <span className="muted">{nullLabel}</span>;
  return <span className={value.startsWith('anon_') ? 'pseudo' : undefined}>{value}</span>;
}
