-- 002_create_crm_mapping.rollback.sql
-- Undoes 002: drops the mapping views and the status map. The role lead_intel_app stays (it may have members that
-- the grant script added; dropping it is the DBA's call: DROP ROLE lead_intel_app once it has no members).
SET XACT_ABORT ON;
-- a Sch-M request on a view or table queued behind a running read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

IF OBJECT_ID(N'dbo.li_visits', N'V') IS NOT NULL DROP VIEW dbo.li_visits;
IF OBJECT_ID(N'dbo.li_follow_ups', N'V') IS NOT NULL DROP VIEW dbo.li_follow_ups;
IF OBJECT_ID(N'dbo.li_leads', N'V') IS NOT NULL DROP VIEW dbo.li_leads;
IF OBJECT_ID(N'dbo.lead_status_map', N'U') IS NOT NULL DROP TABLE dbo.lead_status_map;

COMMIT TRANSACTION;
