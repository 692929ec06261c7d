# The authentication module's benchmarks (included from bench/CMakeLists.txt, after
# weftkit_benchmark is defined).
weftkit_benchmark(auth_scram ${PROJECT_SOURCE_DIR}/bench/auth_scram.cc)
target_link_libraries(auth_scram PRIVATE weftkit_auth OpenSSL::Crypto)

weftkit_benchmark(auth_jwt ${PROJECT_SOURCE_DIR}/bench/auth_jwt.cc)
target_link_libraries(auth_jwt PRIVATE weftkit_auth OpenSSL::Crypto)
