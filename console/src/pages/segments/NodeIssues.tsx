import { useEditor } from './EditorContext';

/** The builder's and the server's messages about one node, next to it. */
export function NodeIssues({ id }: { id: string }) {
  const { issues, serverIssue } = useEditor();
  const mine = issues.get(id) ?? [];
  const server = serverIssue?.nodeId === id ? serverIssue : null;
  if (mine.length === 0 && !server) return null;
  return (
    <ul className="seg-issues" data-testid="node-issues">
      {mine.map((i) => (
        <li key={i.path + i.message}>
          <code>{i.path}</code> {i.message}
        </li>
      ))}
      {server ? (
        <li>
          <code className="error-code">{server.code}</code> {server.message}
        </li>
      ) : null}
    </ul>
  );
}
