-- Shared by every health script (prepended by `make manifests`): the condition of a type when
-- its status is True, else nil.
local function condition(type)
  for _, c in ipairs((obj.status or {}).conditions or {}) do
    if c.type == type and c.status == "True" then return c end
  end
end
