#ifndef PILOT_CCURL_SHIM_H
#define PILOT_CCURL_SHIM_H

#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call:
 * one wrapper per argument type. */

static inline CURLcode pilot_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pilot_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pilot_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pilot_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pilot_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/* CURLOPT_READFUNCTION, CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share this shape. */
typedef size_t (*pilot_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

static inline CURLcode pilot_curl_setopt_data_callback(CURL *handle, CURLoption option,
                                                       pilot_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

typedef int (*pilot_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size,
                                         void *userdata);

static inline CURLcode pilot_curl_setopt_debug_callback(CURL *handle, pilot_curl_debug_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, callback);
}

static inline CURLcode pilot_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode pilot_curl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
