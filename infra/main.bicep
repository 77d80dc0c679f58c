// Lead Intelligence: the scoring function app, deployed next to an EXISTING Azure SQL server, passwordless.
// Plain resources (no registry modules) so that the template is reviewable and deploys without registry access;
// see docs/deploy.md.
targetScope = 'resourceGroup'

@description('Azure region of the new resources (the SQL server may be elsewhere).')
param location string = resourceGroup().location

@description('Short prefix for resource names (letters and digits, 3–11 characters).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'leadintel'

@description('Name of the existing Azure SQL logical server (without .database.windows.net).')
param sqlServerName string

@description('Name of the CRM database on that server.')
param sqlDatabaseName string

@description('Resource group of the existing SQL server (defaults to this one).')
param sqlServerResourceGroup string = resourceGroup().name

@description('NCRONTAB schedule (6 fields, UTC) of the scoring timer.')
param scoringSchedule string = '0 */30 * * * *'

@description('Email address that receives the alerts (failed run, no successful run for 70 minutes, slow run).')
param alertEmail string

@description('A run longer than this many seconds raises an alert.')
@minValue(60)
param runDurationAlertSeconds int = 900

// The CRM database is shared: the app keeps to a budget of 20 connections (docs/deploy.md, "Connection budget"). On
// Flex Consumption the maximum applies per function group, not to the app's sum: "The maximum instance count applies
// to on-demand instances in each per-function scale group (function group) rather than to the app's combined
// instances", and its lowest value is 1 (https://learn.microsoft.com/azure/azure-functions/event-driven-scaling#limit-scale-out,
// revision of 2026-08-03; earlier revisions gave 40 as the lowest). This app has two groups (its HTTP functions, and
// the timer), each instance opens at most 5 connections (pool 4 + the run lock's): 2 × 2 × 5 = 20. A static test
// (test/infra/infra.test.ts) recomputes this from the code. Not deployed from here.
@description('Maximum on-demand instances per function group of the Flex Consumption app (functionAppConfig.scaleAndConcurrency.maximumInstanceCount). Each instance opens up to 5 SQL connections; see the connection budget in docs/deploy.md before raising it.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 2

@description('Memory per instance (MB) on Flex Consumption.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Application (client) id of the Entra ID app registration for the lead board\'s sign-in; empty (default): no App Service Authentication and the board\'s routes stay off (docs/deploy.md, "The lead board").')
param boardClientId string = ''

@description('Directory (tenant) id of the board\'s app registration (defaults to this deployment\'s tenant).')
param boardTenantId string = tenant().tenantId

@description('App setting that holds the board app registration\'s client secret (its value comes from boardClientSecret).')
param boardClientSecretSettingName string = 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'

// Pass it on EVERY deployment (from Key Vault: a parameters file's Key Vault reference, a .bicepparam getSecret, or
// `--parameters boardClientSecret=...`): the deployment writes the whole app-settings list, so a deployment without it
// removes the setting, and the board's sign-in then falls back to the ID-token (implicit) flow (boardAuth.bicep).
// docs/deploy.md, "The lead board". Not run here: no Azure deployment from this machine.
@description('Client secret of the board\'s app registration (secure; never in a parameters file as plain text). Empty: sign-in without a secret, by ID token.')
@secure()
param boardClientSecret string = ''

@description('Tags applied to every new resource.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id, namePrefix)
var storageName = toLower(take('${namePrefix}${suffix}', 24))
var deploymentContainer = 'app-package'

// The SQL server already exists: only referenced, never modified.
resource sqlServer 'Microsoft.Sql/servers@2021-11-01' existing = {
  name: sqlServerName
  scope: resourceGroup(sqlServerResourceGroup)
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
  tags: tags
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: storageName
    deploymentContainer: deploymentContainer
    identityPrincipalId: identity.properties.principalId
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    namePrefix: namePrefix
    suffix: suffix
    identityPrincipalId: identity.properties.principalId
    tags: tags
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    name: '${namePrefix}-func-${suffix}'
    planName: '${namePrefix}-plan-${suffix}'
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageName: storageName
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainer}'
    appInsightsConnectionString: monitoring.outputs.connectionString
    sqlServerFqdn: sqlServer.properties.fullyQualifiedDomainName
    sqlDatabaseName: sqlDatabaseName
    scoringSchedule: scoringSchedule
    boardAuth: empty(boardClientId) ? 'off' : 'app-service'
    boardClientSecret: empty(boardClientId) ? '' : boardClientSecret
    boardClientSecretSettingName: boardClientSecretSettingName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    tags: tags
  }
  dependsOn: [storage] // the identity's storage roles exist before the host starts
}

// The lead board behind Entra ID sign-in: App Service Authentication, only when an app registration is given
module boardAuth 'modules/boardAuth.bicep' = if (!empty(boardClientId)) {
  name: 'boardAuth'
  params: {
    siteName: functionApp.outputs.name
    clientId: boardClientId
    tenantId: boardTenantId
    clientSecretSettingName: boardClientSecretSettingName
    useClientSecret: !empty(boardClientSecret)
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: {
    location: location
    appInsightsId: monitoring.outputs.appInsightsId
    tags: tags
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    namePrefix: namePrefix
    appInsightsId: monitoring.outputs.appInsightsId
    alertEmail: alertEmail
    runDurationAlertMs: runDurationAlertSeconds * 1000
    tags: tags
  }
}

@description('Name of the function app (for `func azure functionapp publish`).')
output functionAppName string = functionApp.outputs.name

@description('Display name of the managed identity: the user to create in the CRM database (infra/sql/grant-function-identity.sql).')
output identityName string = identity.name

@description('Client id of the managed identity.')
output identityClientId string = identity.properties.clientId

@description('Object (principal) id of the managed identity: CREATE USER … WITH OBJECT_ID (infra/sql/grant-function-identity.sql), unambiguous even when another Entra object has the same display name.')
output identityPrincipalId string = identity.properties.principalId

@description('Application Insights resource id (the dashboard lives there).')
output appInsightsId string = monitoring.outputs.appInsightsId

@description('The lead board (signed-in users only), or empty when boardClientId is not set.')
output boardUrl string = empty(boardClientId) ? '' : 'https://${functionApp.outputs.defaultHostName}/api/board/'
