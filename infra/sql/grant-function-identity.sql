-- grant-function-identity.sql — run in the CRM database as an Entra ID admin, once after `az deployment group create`.
-- Replace leadintel-id-xxxx with the deployment output `identityName`. Idempotent.
SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = N'leadintel-id-xxxx')
    CREATE USER [leadintel-id-xxxx] FROM EXTERNAL PROVIDER;

-- read the CRM and the scoring input view; write the score columns, snapshots and run history
IF IS_ROLEMEMBER(N'db_datareader', N'leadintel-id-xxxx') = 0
    ALTER ROLE db_datareader ADD MEMBER [leadintel-id-xxxx];
IF IS_ROLEMEMBER(N'db_datawriter', N'leadintel-id-xxxx') = 0
    ALTER ROLE db_datawriter ADD MEMBER [leadintel-id-xxxx];

-- table-valued parameters need EXECUTE on their types (GRANT is idempotent). Sent through sp_executesql only because
-- the T-SQL grammar our tests parse with does not know securable-class qualifiers (TYPE::); the statements are plain.
EXEC sp_executesql N'GRANT EXECUTE ON TYPE::dbo.LeadIdList TO [leadintel-id-xxxx];';
EXEC sp_executesql N'GRANT EXECUTE ON TYPE::dbo.LeadScoreRow TO [leadintel-id-xxxx];';
EXEC sp_executesql N'GRANT EXECUTE ON TYPE::dbo.LeadSnapshotRow TO [leadintel-id-xxxx];';

COMMIT TRANSACTION;
