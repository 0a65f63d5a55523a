using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>PortSpec's edges: bracketed IPv6 hosts, the port bounds on both sides, protocols, and each refusal's exact text.</summary>
    public sealed class PortSpecTests
    {
        private const string Grammar = " Use [ip:][hostPort:]containerPort[/protocol].";

        [Theory]
        [InlineData("80", "", "", 80, "tcp")]
        [InlineData("8080:80", "", "8080", 80, "tcp")]
        [InlineData("127.0.0.1:8080:80/udp", "127.0.0.1", "8080", 80, "udp")]
        [InlineData("127.0.0.1::80", "127.0.0.1", "", 80, "tcp")]
        [InlineData("[::1]:8080:80", "::1", "8080", 80, "tcp")]
        [InlineData(" 80 ", "", "", 80, "tcp")]
        [InlineData("80/UDP", "", "", 80, "udp")]
        [InlineData("53/sctp", "", "", 53, "sctp")]
        [InlineData("1", "", "", 1, "tcp")]
        [InlineData("65535", "", "", 65535, "tcp")]
        [InlineData("0:80", "", "0", 80, "tcp")]
        [InlineData("65535:80", "", "65535", 80, "tcp")]
        [InlineData("[fe80::1]:8443:443/udp", "fe80::1", "8443", 443, "udp")]
        [InlineData("[::1]::80", "::1", "", 80, "tcp")]
        public void ReadsTheEdgesOfTheGrammar(string text, string ip, string hostPort, int containerPort, string protocol)
        {
            PortSpec p = PortSpec.Parse(text);
            Assert.Equal((ip, hostPort, containerPort, protocol), (p.HostIp, p.HostPort, p.ContainerPort, p.Protocol));
            Assert.Equal(containerPort + "/" + protocol, p.Key);
        }

        [Theory]
        [InlineData(null, "it is empty")]
        [InlineData("", "it is empty")]
        [InlineData("  ", "it is empty")]
        [InlineData("80/icmp", "'icmp' is not tcp, udp or sctp")]
        [InlineData("80/TCPX", "'tcpx' is not tcp, udp or sctp")]
        [InlineData("/tcp", "container port '' is not 1-65535")]
        [InlineData("0", "container port '0' is not 1-65535")]
        [InlineData("65536", "container port '65536' is not 1-65535")]
        [InlineData("70000", "container port '70000' is not 1-65535")]
        [InlineData("8080:http", "container port 'http' is not 1-65535")]
        [InlineData("-1:80", "host port '-1' is not 0-65535")]
        [InlineData("65536:80", "host port '65536' is not 0-65535")]
        [InlineData("x:80", "host port 'x' is not 0-65535")]
        [InlineData("1:2:3:4", "too many ':' separators")]
        [InlineData("[::1]", "the bracketed address is not followed by ':'")]
        [InlineData("[::1]8080:80", "the bracketed address is not followed by ':'")]
        [InlineData("[::1:8080:80", "the bracketed address is not followed by ':'")]
        [InlineData("[::1]:80", "an address needs host and container ports")]
        [InlineData("[::1]:1:2:3", "an address needs host and container ports")]
        public void RefusesWithAMessageThatSaysWhy(string text, string why)
        {
            FailureException e = Assert.Throws<FailureException>(() => PortSpec.Parse(text));
            Assert.Equal(ErrorCatalog.InvalidPublishSpec, e.Kind);
            Assert.Equal($"The port '{text}' cannot be published: {why}." + Grammar, e.Message);
        }
    }
}
