-- wrk script: POST /vault/items with one encrypted slot (the ciphertext
-- is valid Cryppo produced by the SDK in setup.js).
local token = os.getenv("BENCH_TOKEN")
local value = os.getenv("BENCH_VALUE")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = token
wrk.body = '{"item":{"label":"Bench","classification_nodes_attributes":[],' ..
  '"slots_attributes":[{"name":"model_make","slot_type_name":"key_value",' ..
  '"label":"Make","encrypted_value":"' .. value .. '"}]}}'
