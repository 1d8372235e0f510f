counter = 0
request = function()
  counter = counter + 1
  local id = tostring(math.random(1, 1000000000)) .. "x" .. counter
  local body = '{"status":"OK","hook":"new","unique":"W' .. id .. '","from":"9725' .. string.format("%08d", counter % 100000000) .. '","to":"972771234567","type":"text","body":"hi","timestamp":"' .. os.time() .. '"}'
  return wrk.format("POST", nil, {["Content-Type"]="application/json"}, body)
end
