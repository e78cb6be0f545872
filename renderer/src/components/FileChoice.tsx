/** @jsxRuntime automatic */
/**
 * A file picker that reads as a labelled field ("Choose a bundle file" [Browse…]) and hands
 * the chosen file over. The input is emptied at once, so choosing the same file again fires too.
 */
export function FileChoice({ label, accept, testId, disabled, onFile }: {
  label: string;
  accept: string;
  testId: string;
  disabled: boolean;
  onFile: (file: File) => void;
}) {
  return (
    <label className="file-choice">
      <span>{label}</span>
      <input
        type="file"
        accept={accept}
        data-testid={testId}
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0] ?? null;
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
