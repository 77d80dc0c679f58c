/** The signed-in user as App Service Authentication describes them. */
export interface ClientPrincipal {
  readonly name: string;
  readonly identityProvider: string;
}

interface PrincipalPayload {
  auth_typ?: unknown;
  claims?: { typ?: unknown; val?: unknown }[];
  name_typ?: unknown;
}

/**
 * The user of a request from App Service Authentication's `X-MS-CLIENT-PRINCIPAL` header (Base64 JSON: `auth_typ`,
 * `claims[{typ,val}]`, `name_typ`), or null when there is none or it does not decode. The platform strips this
 * header from incoming requests and sets it only for a signed-in caller ("External requests aren't allowed to set
 * these headers, so they're present only if set by App Service":
 * https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities). That holds only when the
 * feature is on, which is why the board trusts the header only with LEAD_INTEL_BOARD_AUTH=app-service, a setting
 * the Bicep writes together with the auth settings (infra/modules/boardAuth.bicep).
 */
export function clientPrincipalOf(header: string | null): ClientPrincipal | null {
  if (header === null || header.trim() === '') return null;
  let payload: PrincipalPayload;
  try {
    payload = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PrincipalPayload;
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null || typeof payload.auth_typ !== 'string') return null;
  const claims = Array.isArray(payload.claims) ? payload.claims : [];
  const nameType = typeof payload.name_typ === 'string' ? payload.name_typ : 'name';
  const claim = (typ: string) =>
    claims.find((c) => c.typ === typ && typeof c.val === 'string')?.val as string;
  const name = claim(nameType) ?? claim('name') ?? claim('preferred_username') ?? '(signed in)';
  return { name, identityProvider: payload.auth_typ };
}
