-- Argo CD health of a MetadataUpgrade. A rollback is Degraded: the server runs the old version
-- and a person must read status.firstFailure; so is a failed pre-flight or rehearsal, with the
-- server untouched. Waiting for approval or paused (spec.paused or the annotation
-- metadataops.io/paused: "true", which pauses without a new generation) is Suspended. The
-- messages say whether the server is down: PreFlight and Rehearsing run while it still serves.
-- With GitOps (status.gitOps) the upgrade sits in a sync wave before the server Deployment: it is
-- Healthy once the database is migrated, so that the sync applies the new image from Git. A
-- rollback that waits for Git to apply the previous image again (rollbackStep AWAITING_GIT) is
-- Degraded: only a person's revert ends it.
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil then return hs end
local phase = obj.status.phase
local downtime = obj.status.downtime or {}
local bad = condition("RolledBack") or condition("Failed") or condition("Stalled")
if condition("Succeeded") then
  hs.status, hs.message = "Healthy", "Running OpenMetadata " .. (obj.status.toVersion or obj.spec.targetVersion)
  if downtime.seconds ~= nil then
    hs.message = hs.message .. " after " .. downtime.seconds .. " s of downtime"
  end
elseif bad then
  hs.status, hs.message = "Degraded", bad.reason .. ": " .. bad.message
elseif phase == "RollingBack" and obj.status.rollbackStep == "AWAITING_GIT" then
  hs.status, hs.message = "Degraded", "RollingBack, waiting for Git: " .. (obj.status.message or "")
elseif obj.status.gitOps and (phase == "RollingOut" or phase == "Verifying") then
  -- Migrated: Healthy lets the sync go on to the later wave that applies the new image.
  hs.status, hs.message = "Healthy", phase .. ": " .. (obj.status.message or "")
elseif phase == "Planned" then
  hs.status, hs.message = "Healthy", "Dry run: plan written to status.plan"
elseif phase == "AwaitingApproval" or obj.spec.paused
    or ((obj.metadata or {}).annotations or {})["metadataops.io/paused"] == "true" then
  hs.status, hs.message = "Suspended", obj.status.message or phase
elseif phase == "PreFlight" or phase == "Rehearsing" then
  hs.message = phase .. ", the server still serves: " .. (obj.status.message or "")
elseif downtime.startedAt ~= nil and downtime.endedAt == nil then
  hs.message = phase .. ", the server is down since " .. downtime.startedAt .. ": " .. (obj.status.message or "")
else
  hs.message = (phase or "Pending") .. ": " .. (obj.status.message or "")
end
return hs
