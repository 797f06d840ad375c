INSERT INTO login_networks (account, network, time) VALUES ($1, $2, $3)
ON CONFLICT (account, network) DO UPDATE SET time = excluded.time
