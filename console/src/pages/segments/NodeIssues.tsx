import { useEditor } from './EditorContext';
import { plainIssue } from './labels';

/** The builder's and the server's messages about one node, next to it. */
export function NodeIssues({ id, quiet = false }: { id: string; quiet?: boolean }) {
  const { issues, serverIssue } = useEditor();
  const mine = quiet ? [] : (issues.get(id) ?? []);
  const server = serverIssue?.nodeId === id ? serverIssue : null;
  if (mine.length === 0 && !server) return null;
  return (
    <ul className="seg-issues" data-testid="node-issues">
      {mine.map((i) => (
        <li key={i.path + i.message}>
          {plainIssue(i.path, i.message)} <code className="seg-issue-path">{i.path}</code>
        </li>
      ))}
      {server ? (
        <li>
          {server.message} <code className="error-code">{server.code}</code> <code className="seg-issue-path">{server.path}</code>
        </li>
      ) : null}
    </ul>
  );
}
