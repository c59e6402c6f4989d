"""gunicorn settings for bench/ceiling.py: plain sync workers (one request at a time each, no
threads, never recycled). Given with -c so that gunicorn does not read ./gunicorn.conf.py, the
Docker image's settings (gthread workers x 4 threads, recycled every ~1,000 requests)."""

worker_class = "sync"
threads = 1
max_requests = 0
timeout = 30
# Two servers may run side by side (--vs-tree): no control socket (one fixed path per user).
control_socket_disable = True
