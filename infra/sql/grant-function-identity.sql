-- grant-function-identity.sql — lets the function app's managed identity into the CRM database, with exactly the
-- rights of the role lead_intel_app and nothing else. Run it in the CRM database as its Microsoft Entra admin, with
-- the deployment outputs identityName and identityPrincipalId:
--
--   go-sqlcmd, after `az login` as the Entra admin (https://learn.microsoft.com/sql/tools/sqlcmd/sqlcmd-authentication):
--   sqlcmd -S <server>.database.windows.net -d <database> --authentication-method ActiveDirectoryDefault \
--     -v AppIdentity="<identityName>" -v AppIdentityObjectId="<identityPrincipalId>" -i infra/sql/grant-function-identity.sql
--
-- (or SSMS / Azure Data Studio in SQLCMD mode: :setvar AppIdentity <name> and :setvar AppIdentityObjectId <id>;
-- https://learn.microsoft.com/sql/tools/sqlcmd/sqlcmd-use-scripting-variables).
--
-- Safe to run at any point and to rerun: before the migrations (the role is created here empty, and the migrations
-- give it its rights: migrations/grants/lead_intel_app.sql, re-applied by every `lead-intel migrate`), after them, or
-- after an upgrade. It grants nothing itself: no db_datareader, no db_datawriter, no right on any CRM table.
-- WITH OBJECT_ID names the identity unambiguously, even if another Entra object has the same display name
-- (https://learn.microsoft.com/sql/relational-databases/security/authentication-access/authentication-microsoft-entra-create-users-with-nonunique-names).
-- A contained user gets CONNECT when it is created; nothing else is needed to sign in.
SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF DATABASE_PRINCIPAL_ID(N'lead_intel_app') IS NULL
    CREATE ROLE lead_intel_app AUTHORIZATION dbo;

-- (through sp_executesql only because the T-SQL grammar our tests parse with lacks WITH OBJECT_ID; the statement
-- inside is plain)
IF DATABASE_PRINCIPAL_ID(N'$(AppIdentity)') IS NULL
    EXEC sp_executesql N'CREATE USER [$(AppIdentity)] FROM EXTERNAL PROVIDER WITH OBJECT_ID = ''$(AppIdentityObjectId)'';';

IF NOT EXISTS (
    SELECT 1 FROM sys.database_role_members AS rm
    WHERE rm.role_principal_id = DATABASE_PRINCIPAL_ID(N'lead_intel_app')
      AND rm.member_principal_id = DATABASE_PRINCIPAL_ID(N'$(AppIdentity)')
)
    ALTER ROLE lead_intel_app ADD MEMBER [$(AppIdentity)];

COMMIT TRANSACTION;
