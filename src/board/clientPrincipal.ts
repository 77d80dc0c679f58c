/**
 * The app role a signed-in user needs to open the lead board. Define it in the board's app registration (App roles →
 * Create app role, allowed member types Users/Groups, value `LeadBoard.Read`) and assign it to the users or groups who
 * may open the board (docs/deploy.md, "The lead board"). Entra ID "emits a roles claim for each role that the user or
 * service principal was granted" (https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps);
 * App Service Authentication passes it on in X-MS-CLIENT-PRINCIPAL but does not check it itself ("validate that the
 * expected roles are present in the token (this is not performed by App Service Authentication / Authorization)":
 * https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad, daemon client section).
 */
export const BOARD_READER_ROLE = 'LeadBoard.Read';

/** The signed-in user as App Service Authentication describes them. */
export interface ClientPrincipal {
  readonly name: string;
  readonly identityProvider: string;
  /** The values of the user's role claims (Entra ID app roles), in the order the header lists them. */
  readonly roles: readonly string[];
}

interface PrincipalPayload {
  auth_typ?: unknown;
  claims?: { typ?: unknown; val?: unknown }[];
  name_typ?: unknown;
  role_typ?: unknown;
}

/**
 * Claim types that carry a role: the principal's own `role_typ`, the short `roles` of an Entra ID token, and the
 * long WS-Federation name that App Service writes as `role_typ` for Entra ID.
 */
const ROLE_CLAIM_TYPES = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];

/**
 * The user of a request from App Service Authentication's `X-MS-CLIENT-PRINCIPAL` header (Base64 JSON: `auth_typ`,
 * `claims[{typ,val}]`, `name_typ`, `role_typ`), or null when there is none or it does not decode. The platform strips
 * this header from incoming requests and sets it only for a signed-in caller ("External requests aren't allowed to set
 * these headers, so they're present only if set by App Service":
 * https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities). That holds only while the
 * feature is on, which is why the board reads the header only with LEAD_INTEL_BOARD_AUTH=app-service AND the
 * platform's WEBSITE_AUTH_ENABLED=True (src/functions/boardHttp.ts).
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
  const roleTypes =
    typeof payload.role_typ === 'string' ? [payload.role_typ, ...ROLE_CLAIM_TYPES] : ROLE_CLAIM_TYPES;
  const claim = (typ: string) =>
    claims.find((c) => c.typ === typ && typeof c.val === 'string')?.val as string;
  const name = claim(nameType) ?? claim('name') ?? claim('preferred_username') ?? '(signed in)';
  const roles = claims
    .filter((c) => typeof c.typ === 'string' && roleTypes.includes(c.typ) && typeof c.val === 'string')
    .map((c) => c.val as string);
  return { name, identityProvider: payload.auth_typ, roles };
}

/** Whether `principal` holds `role` (exact, case-sensitive, as Entra ID writes the app role's value). */
export function hasRole(principal: ClientPrincipal, role: string = BOARD_READER_ROLE): boolean {
  return principal.roles.includes(role);
}
