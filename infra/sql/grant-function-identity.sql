-- grant-function-identity.sql — lets the function app's managed identity into the CRM database, with exactly the
-- rights of the role lead_intel_app and nothing else. Run it in the CRM database as its Microsoft Entra admin.
--
--   sqlcmd -S <server>.database.windows.net -d <database> -G -v AppIdentity="<identityName output>" -i infra/sql/grant-function-identity.sql
--
-- (or open it in SSMS / Azure Data Studio in SQLCMD mode and set the variable: :setvar AppIdentity <name>;
-- https://learn.microsoft.com/sql/tools/sqlcmd/sqlcmd-use-scripting-variables).
--
-- Safe to run at any point and to rerun: before the migrations (the role is created here empty, and the migrations
-- give it its rights: migrations/grants/lead_intel_app.sql, rerun by every `lead-intel migrate`), after them, or after
-- an upgrade. It grants nothing itself: no db_datareader, no db_datawriter, no right on any CRM table.
-- CREATE USER … FROM EXTERNAL PROVIDER needs the Entra admin (or a user with ALTER ANY USER signed in with Entra):
-- https://learn.microsoft.com/azure/azure-sql/database/authentication-aad-configure#create-contained-users-mapped-to-azure-ad-identities
SET XACT_ABORT ON;
BEGIN TRANSACTION;

IF DATABASE_PRINCIPAL_ID(N'lead_intel_app') IS NULL
    CREATE ROLE lead_intel_app AUTHORIZATION dbo;

IF DATABASE_PRINCIPAL_ID(N'$(AppIdentity)') IS NULL
    CREATE USER [$(AppIdentity)] FROM EXTERNAL PROVIDER;

IF IS_ROLEMEMBER(N'lead_intel_app', N'$(AppIdentity)') = 0
    ALTER ROLE lead_intel_app ADD MEMBER [$(AppIdentity)];

COMMIT TRANSACTION;
