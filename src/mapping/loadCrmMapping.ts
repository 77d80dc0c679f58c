import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';
import { DEFAULT_MAPPING, parseCrmMapping, type CrmMapping } from './crmMapping';

/**
 * The mapping from `path` (JSON), or the guide's CRM when no path is configured. A missing file, invalid JSON or an
 * invalid mapping is CONFIG_INVALID naming the file and every problem.
 */
export function loadCrmMapping(path: string | null): CrmMapping {
  if (path === null) return DEFAULT_MAPPING;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`the mapping file ${path}`, [`cannot be read: ${(e as Error).message}`], e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`the mapping file ${path}`, [`not valid JSON: ${(e as Error).message}`], e);
  }
  return parseCrmMapping(json, `the mapping file ${path}`);
}
