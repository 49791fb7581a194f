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

    @ParameterizedTest
    @ValueSource(strings = {"metadata.google.internal.", "METADATA.GOOGLE.INTERNAL", "Metadata.Google.Internal..",
        "metadata.goog", "instance-data.ec2.internal.", "64:ff9b::a9fe:a9fe", "64:ff9b::169.254.169.254",
        "64:ff9b:1::a9fe:a9fe", "2002:a9fe:a9fe::", "2002:a9fe:a9fe:1::1", "100.100.100.200", "0x64.0x64.0x64.0xc8",
        "::ffff:100.100.100.200", "168.63.129.16", "::169.254.169.254", "::a9fe:a9fe", "::ffff:0:169.254.169.254",
        "2001:0:a9fe:a9fe::1", "169.254.169.254.", "[fe80::1]", "FE80:0:0:0:0:0:0:1"})
    void metadataSpaceIsRefusedThroughTrailingDotsCaseAndEveryIpv6Embedding(String host) {
        assertThat(AddressPolicy.DEFAULT.refusal(host)).as(host).isPresent();
        assertThat(new AddressPolicy(false).refusal(host)).as(host).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST.", "api.localhost", "localhost.localdomain", "ip6-localhost", "0.0.0.0",
        "0", "::", "[::]", "::127.0.0.1", "::ffff:127.0.0.1", "::ffff:7f00:1", "64:ff9b::7f00:1", "2002:7f00:1::",
        "2002:0a00:0001::", "100.64.0.1", "fd12:3456::1", "fc00::1", "fec0::1", "0:0:0:0:0:0:0:1", "127.1", "0177.0.0.1",
        "2130706433", "10.0.0.1.", "::ffff:0:10.0.0.1"})
    void withPrivateForbiddenEverySpellingOfLoopbackUnspecifiedAndPrivateIsRefused(String host) {
        assertThat(new AddressPolicy(false).refusal(host)).as(host).isPresent();
        assertThat(AddressPolicy.DEFAULT.refusal(host)).as(host).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "2001:db8::1", "2606:4700::1111", "64:ff9b::808:808", "2002:808:808::",
        "100.128.0.1", "backend.example.com", "metadata.example.com", "localhost.example.com"})
    void publicAddressesAndOrdinaryNamesPassEvenWithPrivateForbidden(String host) {
        assertThat(new AddressPolicy(false).refusal(host)).as(host).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "fe80::1", "100.100.100.200", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::",
        "fd00:ec2::254", "::ffff:169.254.169.254"})
    void resolvedAddressesAreJudgedByTheSameRules(String literal) throws Exception {
        java.net.InetAddress resolved = java.net.InetAddress.getByAddress("innocent.example.com",
                java.net.InetAddress.getByName(literal).getAddress());
        assertThat(AddressPolicy.DEFAULT.refusal(resolved)).as(literal).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "0.0.0.0", "::", "10.1.2.3", "fd00::1", "64:ff9b::a00:1"})
    void resolvedPrivateAddressesAreRefusedOnlyWhenThePolicySaysSo(String literal) throws Exception {
        java.net.InetAddress resolved = java.net.InetAddress.getByName(literal);
        assertThat(new AddressPolicy(false).refusal(resolved)).as(literal).isPresent();
        assertThat(AddressPolicy.DEFAULT.refusal(resolved)).as(literal).isEmpty();
        assertThat(new AddressPolicy(false).refusal(java.net.InetAddress.getByName("93.184.216.34"))).isEmpty();
    }
}
