// Host storage for the function app: identity-only (shared keys disabled), with the deployment-package container.
@description('Azure region.')
param location string

@description('Storage account name (3–24 lowercase letters and digits).')
param name string

@description('Blob container that holds the deployment package.')
param deploymentContainer string

@description('Principal id of the app identity that uses the account.')
param identityPrincipalId string

@description('Tags.')
param tags object

// Data-plane roles of the app's identity on its storage account, as one loop.
var roles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner (host storage, deployment package)
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor (host)
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor (timer monitor)
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false // every client (host, deployment) authenticates with the managed identity
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blob 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blob
  name: deploymentContainer
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roles: {
    name: guid(account.id, identityPrincipalId, roleId)
    scope: account
    properties: {
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

@description('Blob endpoint, ending with a slash.')
output blobEndpoint string = account.properties.primaryEndpoints.blob
