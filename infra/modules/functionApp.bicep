// Flex Consumption (FC1) plan and the Linux function app on Node 22, deployed from blob storage with the managed
// identity; host storage through identity-based AzureWebJobsStorage__* settings; the SQL connection as settings.
@description('Azure region.')
param location string

@description('Function app name.')
param name string

@description('Plan name.')
param planName string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Host storage account name.')
param storageName string

@description('URL of the deployment-package container.')
param deploymentContainerUrl string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Fully qualified name of the existing SQL server.')
param sqlServerFqdn string

@description('CRM database name.')
param sqlDatabaseName string

@description('NCRONTAB schedule of the scoring timer.')
param scoringSchedule string

@description('Who may open the lead board: `off` or `app-service` (App Service Authentication, boardAuth.bicep).')
@allowed(['off', 'app-service'])
param boardAuth string

// The board app registration's client secret (finding of the board review: a secret set with `az functionapp config
// appsettings set` was wiped by the next deployment). A template deployment of `siteConfig.appSettings` replaces the
// app's whole list of settings, so every setting the app needs must come from the template on every deployment (the
// behaviour reported in https://github.com/Azure/azure-quickstart-templates/issues/8495 and
// https://github.com/Azure/azure-cli/issues/11718, both open). The secret therefore arrives as a @secure()
// parameter ("The value for a secure parameter isn't saved to the deployment history and isn't logged":
// https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-secure-secrets-in-parameters; an empty
// default is allowed: .../bicep/linter-rule-secure-parameter-default), typically read from Key Vault by the parameters
// file (https://learn.microsoft.com/azure/azure-resource-manager/bicep/key-vault-parameter: the vault needs
// enabledForTemplateDeployment), and is written only when given. Not run here: no Azure deployment from this machine.
@description('Client secret of the board\'s app registration; empty: no secret setting is written (sign-in then uses the ID-token flow).')
@secure()
param boardClientSecret string = ''

@description('Name of the app setting that receives boardClientSecret (authsettingsV2 reads the secret from it).')
param boardClientSecretSettingName string

@description('Maximum on-demand instances per function group (Flex Consumption counts it per group, not per app).')
param maximumInstanceCount int

@description('Instance memory (MB).')
param instanceMemoryMB int

@description('Tags.')
param tags object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: instanceMemoryMB }
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat([
        { name: 'AzureWebJobsStorage__accountName', value: storageName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=${identityClientId}' }
        { name: 'LEAD_INTEL_STORE', value: 'mssql' }
        { name: 'MSSQL_SERVER', value: sqlServerFqdn }
        { name: 'MSSQL_DATABASE', value: sqlDatabaseName }
        { name: 'MSSQL_AUTH', value: 'managed-identity' }
        { name: 'MSSQL_CLIENT_ID', value: identityClientId }
        { name: 'SCORING_SCHEDULE', value: scoringSchedule }
        { name: 'LEAD_INTEL_BOARD_AUTH', value: boardAuth }
      ], empty(boardClientSecret) ? [] : [{ name: boardClientSecretSettingName, value: boardClientSecret }])
    }
  }
}

@description('Function app name.')
output name string = site.name

@description('Default host name of the function app.')
output defaultHostName string = site.properties.defaultHostName
