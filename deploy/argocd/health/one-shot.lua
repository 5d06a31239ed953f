-- Argo CD health of the one-shot kinds (MetadataBackup, MetadataRestore): Healthy once done.
local hs = { status = "Progressing", message = "Waiting for the operator" }
local function condition(type)
  for _, c in ipairs((obj.status or {}).conditions or {}) do
    if c.type == type and c.status == "True" then return c end
  end
end
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
