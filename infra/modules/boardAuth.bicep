// App Service Authentication (Entra ID) in front of the function app, for the lead board (docs/deploy.md, "The lead
// board"). Deployed only when main.bicep's boardClientId is set; the app setting LEAD_INTEL_BOARD_AUTH=app-service
// that opens the board's routes is written by functionApp.bicep under the same condition.
//
// Properties: Microsoft.Web/sites/config 'authsettingsV2'
// (https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-authsettingsv2): platform.enabled,
// globalValidation.{requireAuthentication, unauthenticatedClientAction}, httpSettings.requireHttps,
// identityProviders.azureActiveDirectory.{enabled, registration.{clientId, clientSecretSettingName, openIdIssuer},
// validation.allowedAudiences}, login.tokenStore.enabled.
//
// Anonymous requests are let through (AllowAnonymous) rather than redirected, because the same app serves the
// machine clients of /api/leads and /api/scoring/* with function keys; the board's handler (src/functions/boardHttp.ts)
// itself redirects a caller without a signed-in principal to /.auth/login/aad?post_login_redirect_uri=/api/board/ (the
// "allow unauthenticated access" + sign-in link pattern of
// https://learn.microsoft.com/azure/app-service/configure-authentication-customize-sign-in-out) and answers its data
// routes 401. The
// platform injects X-MS-CLIENT-PRINCIPAL for a signed-in caller and does not let external requests set it ("External
// requests aren't allowed to set these headers, so they're present only if set by App Service":
// https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities).
// Built-in authentication is documented for App Service and Azure Functions alike
// (https://learn.microsoft.com/azure/app-service/overview-authentication-authorization); no page read here states
// it for the Flex Consumption plan in particular. Not run here: no Azure deployment from this machine.

@description('Name of the existing function app.')
param siteName string

@description('Application (client) id of the Entra ID app registration that signs users in to the board.')
param clientId string

@description('Directory (tenant) id of that app registration.')
param tenantId string

@description('Name of the app setting that holds the app registration\'s client secret (set it out of band, e.g. a Key Vault reference; never in this template).')
param clientSecretSettingName string

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
          // with a secret, sign-in uses the OpenID Connect authorization code flow (without one, the implicit flow)
          clientSecretSettingName: clientSecretSettingName
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: ['api://${clientId}']
        }
      }
    }
    login: {
      tokenStore: { enabled: true }
    }
  }
}
