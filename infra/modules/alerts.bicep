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
    // Timers on Flex Consumption have been seen to stop after a deploy: silence is an incident. Only a successful
    // full, written timer run counts: an HTTP rerun, a subset rerun or a dry run succeeding proves nothing about the
    // schedule. The query runs against the Application Insights resource, so it reads the Application Insights table
    // `customMetrics` (its Log Analytics name is `AppMetrics`), where an OpenTelemetry metric's attributes are the
    // `customDimensions` bag (`Properties` in Log Analytics) and a preaggregated metric's sum is `valueSum`
    // (https://learn.microsoft.com/azure/azure-monitor/app/data-model-complete#metric-telemetry and #custom-properties;
    // MicrosoftDocs/azure-monitor-docs articles/azure-monitor/app/data-model-complete.md). The attribute names are
    // ATTR in src/telemetry/names.ts (trigger, status, dry_run, scope), their values strings; a test checks both.
    // Not run here: no Application Insights resource is reachable from the machine that wrote it.
    name: 'no-successful-run-70-min'
    description: 'No successful scheduled (timer, full, not dry) scoring run for 70 minutes (two missed 30-minute ticks).'
    severity: 1
    frequency: 'PT10M'
    window: 'PT2H'
    query: 'customMetrics | where timestamp > ago(70m) | summarize succeeded = sumif(valueSum, name == "runs" and tostring(customDimensions.status) == "succeeded" and tostring(customDimensions.trigger) == "timer" and tostring(customDimensions.dry_run) == "false" and tostring(customDimensions.scope) == "full")'
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
