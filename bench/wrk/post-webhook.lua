-- wrk script: a distinct messages.upsert per request for empresa EMPRESA (env), Bearer SECRET (env).
-- PACE_MS (env) > 0 makes each connection wait that long between requests, to hold a rate.
local empresa = os.getenv("EMPRESA")
local secret = os.getenv("SECRET")
local instance = os.getenv("INSTANCE")
local pace = tonumber(os.getenv("PACE_MS") or "0")
local counter = 0

request = function()
  counter = counter + 1
  local body = '{"event":"messages.upsert","instance":"' .. instance .. '","data":{"key":{"remoteJid":"551190000'
      .. (counter % 5000) .. '@s.whatsapp.net","fromMe":false,"id":"3C' .. string.format("%018X", counter)
      .. '"},"pushName":"Cliente","message":{"conversation":"Oi, voces entregam hoje?"},'
      .. '"messageType":"conversation","messageTimestamp":1761057639},"date_time":"2025-10-21T14:40:39.512Z",'
      .. '"sender":"5511999990000@s.whatsapp.net","server_url":"http://localhost:8090","apikey":"B6D711FCDE4D"}'
  return wrk.format("POST", "/webhooks/evolution/" .. empresa,
      {["Authorization"] = "Bearer " .. secret, ["Content-Type"] = "application/json"}, body)
end

if pace > 0 then
  delay = function() return pace end
end
