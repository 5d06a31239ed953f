-- Argo CD health of the one-shot kinds (MetadataBackup, MetadataRestore): Healthy once done.
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil then return hs end
local done = condition("Succeeded")
local failed = condition("Failed") or condition("Stalled")
if done then
  hs.status, hs.message = "Healthy", done.message
elseif failed then
  hs.status, hs.message = "Degraded", failed.reason .. ": " .. failed.message
else
  hs.message = obj.status.message or hs.message
end
return hs
