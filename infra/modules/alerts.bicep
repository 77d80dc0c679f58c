// Alerts on the run metrics (names from src/telemetry/names.ts), to an email action group.
@description('Azure region.')
param location string

@description('Resource name prefix.')
param namePrefix string

@description('Application Insights resource id the alert queries run against.')
param appInsightsId string

@description('Email address that receives the alerts.')
param alertEmail string

@description('Run duration (ms) above which an alert fires.')
param runDurationAlertMs int

@description('Tags.')
param tags object

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-alerts'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take(namePrefix, 12)
    enabled: true
    emailReceivers: [{ name: 'operations', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

var rules = [
  {
    name: 'failed-run'
    description: 'A scoring run failed (see the workbook\'s failures table for the message).'
    severity: 1
    frequency: 'PT5M'
    window: 'PT30M'
    query: 'customMetrics | where name == "runs" and tostring(customDimensions.status) == "failed" | summarize failed = sum(valueSum)'
    measure: 'failed'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    // Timers on Flex Consumption have been seen to stop after a deploy: silence is an incident.
    name: 'no-successful-run-70-min'
    description: 'No successful scoring run for 70 minutes (two missed 30-minute ticks).'
    severity: 1
    frequency: 'PT10M'
    window: 'PT2H'
    query: 'customMetrics | where timestamp > ago(70m) | summarize succeeded = sumif(valueSum, name == "runs" and tostring(customDimensions.status) == "succeeded")'
    measure: 'succeeded'
    operator: 'LessThan'
    threshold: 1
  }
  {
    name: 'slow-run'
    description: 'A scoring run took longer than the configured threshold.'
    severity: 2
    frequency: 'PT15M'
    window: 'PT1H'
    query: 'customMetrics | where name == "run_duration_ms" | summarize longestMs = max(valueMax)'
    measure: 'longestMs'
    operator: 'GreaterThan'
    threshold: runDurationAlertMs
  }
]

resource alerts 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for r in rules: {
    name: '${namePrefix}-${r.name}'
    location: location
    tags: tags
    properties: {
      displayName: '${namePrefix}: ${r.name}'
      description: r.description
      severity: r.severity
      enabled: true
      scopes: [appInsightsId]
      evaluationFrequency: r.frequency
      windowSize: r.window
      criteria: {
        allOf: [
          {
            query: r.query
            timeAggregation: 'Maximum'
            metricMeasureColumn: r.measure
            operator: r.operator
            threshold: r.threshold
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      actions: { actionGroups: [actionGroup.id] }
      autoMitigate: true
    }
  }
]
