#include <microhttpd.h>
#include <stdio.h>
int main(void){ printf("AUTOSUPPRESS_SIGPIPE=%d SENDFILE=%d EPOLL=%d THREADS=%d\n", MHD_is_feature_supported(MHD_FEATURE_AUTOSUPPRESS_SIGPIPE), MHD_is_feature_supported(MHD_FEATURE_SENDFILE), MHD_is_feature_supported(MHD_FEATURE_EPOLL), MHD_is_feature_supported(MHD_FEATURE_THREADS)); return 0; }
