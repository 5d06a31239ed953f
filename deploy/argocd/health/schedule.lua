-- Argo CD health of a MetadataBackupSchedule: Suspended while spec.suspend, Degraded when the
-- schedule cannot run, Healthy while it waits for its next slot.
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.spec.suspend then
  hs.status, hs.message = "Suspended", "Schedule suspended"
elseif condition("Stalled") then
  local c = condition("Stalled")
  hs.status, hs.message = "Degraded", c.reason .. ": " .. c.message
elseif condition("Ready") then
  hs.status, hs.message = "Healthy", obj.status.message
end
return hs
