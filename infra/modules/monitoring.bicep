// Log Analytics + Application Insights with local (key) authentication disabled: telemetry is ingested with Entra ID
// by the app's managed identity, which gets Monitoring Metrics Publisher here.
@description('Azure region.')
param location string

@description('Resource name prefix.')
param namePrefix string

@description('Unique suffix.')
param suffix string

@description('Principal id of the app identity that publishes telemetry.')
param identityPrincipalId string

@description('Tags.')
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-log-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-appi-${suffix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityPrincipalId, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: appInsights
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb') // Monitoring Metrics Publisher
  }
}

@description('Connection string (no key is usable: local auth is disabled).')
output connectionString string = appInsights.properties.ConnectionString

@description('Application Insights resource id.')
output appInsightsId string = appInsights.id
