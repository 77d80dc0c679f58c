// The operations dashboard: an Azure Monitor workbook over the app's Application Insights (JSON in infra/workbook.json).
@description('Azure region.')
param location string

@description('Application Insights resource id the workbook queries.')
param appInsightsId string

@description('Tags.')
param tags object

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, appInsightsId, 'lead-intelligence-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Lead Intelligence — scoring runs'
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: loadTextContent('../workbook.json')
  }
}
