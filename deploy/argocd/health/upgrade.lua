-- Argo CD health of a MetadataUpgrade. A rollback is Degraded: the server runs the old version
-- and a person must read status.firstFailure. Waiting for approval or paused (spec.paused or the
-- annotation metadataops.io/paused: "true", which pauses without a new generation) is Suspended.
-- With GitOps (status.gitOps) the upgrade sits in a sync wave before the server Deployment: it is
-- Healthy once the database is migrated, so that the sync applies the new image from Git.
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil then return hs end
local phase = obj.status.phase
local bad = condition("RolledBack") or condition("Failed") or condition("Stalled")
if condition("Succeeded") then
  hs.status, hs.message = "Healthy", "Running OpenMetadata " .. (obj.status.toVersion or obj.spec.targetVersion)
elseif bad then
  hs.status, hs.message = "Degraded", bad.reason .. ": " .. bad.message
elseif obj.status.gitOps and (phase == "RollingOut" or phase == "Verifying") then
  -- Migrated: Healthy lets the sync go on to the later wave that applies the new image.
  hs.status, hs.message = "Healthy", phase .. ": " .. (obj.status.message or "")
elseif phase == "Planned" then
  hs.status, hs.message = "Healthy", "Dry run: plan written to status.plan"
elseif phase == "AwaitingApproval" or obj.spec.paused
    or ((obj.metadata or {}).annotations or {})["metadataops.io/paused"] == "true" then
  hs.status, hs.message = "Suspended", obj.status.message or phase
else
  hs.message = (phase or "Pending") .. ": " .. (obj.status.message or "")
end
return hs
