// The server's export of a saved segment's members (GET /segments/{id}/members.csv, see
// http/export.go), fetched with the key in the Authorization header (never in the URL) and
// saved from the blob.
import { ApiError } from '../../api/client';
import { currentToken } from '../../auth/session';
import { downloadBlob } from '../../lib/download';

export function exportPath(segmentId: string, format: 'csv' | 'ndjson' = 'csv'): string {
  return `/segments/${encodeURIComponent(segmentId)}/members.${format}`;
}

export async function exportMembers(segmentId: string, fileName: string): Promise<number> {
  const token = currentToken();
  let res: Response;
  try {
    res = await fetch(exportPath(segmentId), {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError({ code: 'NETWORK', status: 0, message: 'the server did not answer; is cdpgraph running?' });
  }
  if (!res.ok) {
    const text = (await res.text()).trim();
    throw new ApiError({ code: `HTTP_${res.status}`, status: res.status, message: text || `the export was refused (HTTP ${res.status})` });
  }
  const blob = await res.blob();
  downloadBlob(fileName, blob);
  return blob.size;
}
