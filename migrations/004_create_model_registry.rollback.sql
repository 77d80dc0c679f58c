-- 004_create_model_registry.rollback.sql
-- Undoes 004: drops the training view and the model registry (every trained model with it).
SET XACT_ABORT ON;
-- a Sch-M request on a view or table queued behind a running read would block every later reader: give up after 5 s
SET LOCK_TIMEOUT 5000;
BEGIN TRANSACTION;

IF OBJECT_ID(N'dbo.v_lead_training_input', N'V') IS NOT NULL DROP VIEW dbo.v_lead_training_input;
IF OBJECT_ID(N'dbo.lead_scoring_models', N'U') IS NOT NULL DROP TABLE dbo.lead_scoring_models;

COMMIT TRANSACTION;
