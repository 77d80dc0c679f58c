// App Service Authentication (Entra ID) in front of the function app, for the lead board (docs/deploy.md, "The lead
// board"). Deployed only when main.bicep's boardClientId is set; the app setting LEAD_INTEL_BOARD_AUTH=app-service
// that opens the board's routes is written by functionApp.bicep under the same condition. The app setting alone does
// not open the board: the handler also needs the platform's WEBSITE_AUTH_ENABLED=True ("Read-only. Injected into a
// Windows or Linux app to indicate whether App Service authentication is enabled":
// https://learn.microsoft.com/azure/app-service/reference-app-settings, authentication section), so a deployment in
// which this module failed, or an app whose Authentication was turned off, answers 503 instead of trusting a header.
//
// Properties: Microsoft.Web/sites/config 'authsettingsV2'
// (https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-authsettingsv2): platform.enabled,
// globalValidation.{requireAuthentication, unauthenticatedClientAction}, httpSettings.requireHttps,
// identityProviders.azureActiveDirectory.{enabled, registration.{clientId, clientSecretSettingName, openIdIssuer}},
// login.tokenStore.enabled.
//
// Anonymous requests are let through (AllowAnonymous) rather than redirected, because the same app serves the
// machine clients of /api/leads and /api/scoring/* with function keys; the board's handler (src/functions/boardHttp.ts)
// itself redirects a caller without a signed-in principal to /.auth/login/aad?post_login_redirect_uri=/api/board/ (the
// "allow unauthenticated access" + sign-in link pattern of
// https://learn.microsoft.com/azure/app-service/configure-authentication-customize-sign-in-out), answers its data
// routes 401, and answers 403 to a signed-in user without the app role LeadBoard.Read (App Service Authentication
// does not check roles: https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad). The
// platform injects X-MS-CLIENT-PRINCIPAL for a signed-in caller and does not let external requests set it ("External
// requests aren't allowed to set these headers, so they're present only if set by App Service":
// https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities).
//
// Flex Consumption: the plan's considerations once said "EasyAuth isn't currently supported. Unauthenticated callers
// currently aren't blocked when EasyAuth is enabled in a Flex Consumption plan app" (MicrosoftDocs/azure-docs,
// articles/azure-functions/flex-consumption-plan.md, preview era); the 2025 migration guide tells you to recreate
// built-in authentication on the new Flex Consumption app (articles/azure-functions/migration/
// migrate-plan-consumption-to-flex.md, "Configure built-in authentication"). Whether the platform injects
// WEBSITE_AUTH_ENABLED on Flex Consumption is to be checked on the first deployment (docs/deploy.md, step 5).
// Not run here: no Azure deployment from this machine, and no Bicep compiler runs here.

@description('Name of the existing function app.')
param siteName string

@description('Application (client) id of the Entra ID app registration that signs users in to the board.')
param clientId string

@description('Directory (tenant) id of that app registration.')
param tenantId string

@description('Name of the app setting that holds the app registration\'s client secret (written by functionApp.bicep from main.bicep\'s @secure() boardClientSecret).')
param clientSecretSettingName string

@description('Whether a client secret was given: with one, sign-in uses the authorization code flow; without, the ID-token flow (the registration must issue ID tokens).')
param useClientSecret bool

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: siteName
}

resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: { requireHttps: true }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          // "With a client secret, hybrid flow is used … When the client secret is not set, implicit flow is used and
          // only an ID token is returned" (configure-authentication-provider-aad). Without a secret, no reference to
          // a setting that a deployment without the secret has just removed.
          clientSecretSettingName: useClientSecret ? clientSecretSettingName : null
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }
        // No validation.allowedAudiences: "The configured Application (client) ID is always implicitly considered to
        // be an allowed audience" (configure-authentication-provider-aad, "Allowed Token Audiences"), and nothing
        // calls this app with a token for another audience.
      }
    }
    login: {
      // The board never reads the X-MS-TOKEN-* headers; the store only serves apps that do ("true to durably store
      // platform-specific security tokens that are obtained during login flows", TokenStore.enabled in the
      // authsettingsV2 reference above).
      tokenStore: { enabled: false }
    }
  }
}
