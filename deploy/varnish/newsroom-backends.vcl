# The newsroom's app servers, included by newsroom.vcl: one backend each,
# added to the app_servers director. Adapt the addresses, and the Host the
# health probe sends (one of ALLOWED_HOSTS), to the deployment.

# /healthz answers 200 when the database and the cache answer.
probe healthz {
    .url = "/healthz";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .host_header = "news.example.org";
    .first_byte_timeout = 35s;
    .probe = healthz;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8002";
    .host_header = "news.example.org";
    .first_byte_timeout = 35s;
    .probe = healthz;
}

sub vcl_init {
    app_servers.add_backend(app1);
    app_servers.add_backend(app2);
}
