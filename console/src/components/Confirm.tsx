import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface ConfirmProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
  /** The user must type this (a name, "MERGE") before confirming, for actions that cannot be undone. */
  requireText?: string;
  busy?: boolean;
  /** False keeps the confirm button disabled, e.g. until a required reason is written. */
  canConfirm?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** A modal confirmation (the native <dialog>: focus trap and Escape come with it). */
export function Confirm({ open, title, children, confirmLabel = 'Confirm', danger, requireText, busy, canConfirm = true, onConfirm, onCancel }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setTyped('');
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);
  const ready = !busy && canConfirm && (requireText === undefined || typed === requireText);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <div className="confirm-body">{children}</div>
      {requireText !== undefined ? (
        <label className="field">
          Type <code>{requireText}</code> to confirm
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        </label>
      ) : null}
      <div className="confirm-actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={!ready} data-testid="confirm-ok">
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
