-- One random secret per installation, shared by every node: the key behind HMAC-signed tokens that recipients see
-- (bounce addresses, tracking and unsubscribe links) and behind the encryption of stored private keys.
-- Created by the first node that needs it (SecureRandom, insert ... on conflict do nothing). ORBITA_SECRET overrides it (then the database alone does not hold what decrypts the keys).
create table installation_secret (
    id          smallint    primary key check (id = 1),
    secret      bytea       not null check (length(secret) >= 32),
    created_at  timestamptz not null default now()
);
