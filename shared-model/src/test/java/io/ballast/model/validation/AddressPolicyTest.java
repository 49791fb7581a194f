package io.ballast.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "2852039166", "0xA9FEA9FE", "0xa9.0xfe.0xa9.0xfe", "0251.0376.0251.0376",
        "169.254.43518", "169.16689662", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "[::ffff:169.254.169.254]",
        "0:0:0:0:0:ffff:a9fe:a9fe", "fe80::1", "FE80::abcd%eth0", "febf::1", "fd00:ec2::254", "metadata.google.internal"})
    void linkLocalAndMetadataAreRefusedInEverySpelling(String host) {
        assertThat(AddressPolicy.DEFAULT.refusal(host)).as(host).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.0.1", "::1", "backend.internal", "8.8.8.8",
        "fec0::1", "2001:db8::1", "169.253.255.255", "169.255.0.1"})
    void ordinaryAddressesAreAllowed(String host) {
        assertThat(AddressPolicy.DEFAULT.refusal(host)).as(host).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "192.168.0.10", "172.31.0.1", "::1", "0x7f000001"})
    void privateRangesCanBeForbidden(String host) {
        assertThat(new AddressPolicy(false).refusal(host)).as(host).isPresent();
    }
}
