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
      appSettings: [
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
      ]
    }
  }
}

@description('Function app name.')
output name string = site.name

@description('Default host name of the function app.')
output defaultHostName string = site.properties.defaultHostName
