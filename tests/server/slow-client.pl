#!/usr/bin/env perl
# tests/server/slow-client.pl — clients that send their request slowly, to
# try the server's limits on loopback (the whole of 127.0.0.0/8 is this
# machine, so each 127.0.0.N is another client address).
#
#   slow-client.pl attack PORT FIRST LAST PER SECONDS
#       from each of 127.0.0.FIRST .. 127.0.0.LAST hold PER connections for
#       SECONDS, each sending one byte of its headers a second and opening
#       again as soon as the server closes it; prints
#       "opened N closed-by-server M peak-open K"
#   slow-client.pl drip PORT ADDR INTERVAL SECONDS
#       one connection from ADDR sending a byte of its headers every
#       INTERVAL seconds; prints "closed after S" (seconds, when the server
#       closed it) or "open after SECONDS"
#   slow-client.pl hold PORT ADDR N WAIT
#       open N connections from ADDR, send half a request on each, wait
#       WAIT seconds and print how many the server still holds open
use strict;
use warnings;
use Errno qw(EINPROGRESS EAGAIN EWOULDBLOCK);
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
use Socket qw(AF_INET SOCK_STREAM pack_sockaddr_in inet_aton);
use Time::HiRes qw(time sleep);

my ($mode, $port, @args) = @ARGV;
die "usage: see the head of $0\n" unless $mode && $port;

# open_from ADDR: a non-blocking connection from ADDR to the server, or undef
sub open_from {
	my ($addr) = @_;
	my $s;
	socket($s, AF_INET, SOCK_STREAM, 0) or return undef;
	unless (bind($s, pack_sockaddr_in(0, inet_aton($addr)))) {
		close $s;
		return undef;
	}
	my $fl = fcntl($s, F_GETFL, 0);
	fcntl($s, F_SETFL, $fl | O_NONBLOCK);
	if (!connect($s, pack_sockaddr_in($port, inet_aton('127.0.0.1')))) {
		if ($! != EINPROGRESS) {
			close $s;
			return undef;
		}
	}
	return $s;
}

# gone S: the server has closed connection S (end of file or an error)
sub gone {
	my ($s) = @_;
	my $buf;
	my $rin = '';
	vec($rin, fileno($s), 1) = 1;
	return 0 unless select(my $rout = $rin, undef, undef, 0) > 0;
	my $n = sysread($s, $buf, 4096);
	return 1 if defined $n && $n == 0;
	return 0 if !defined $n && ($! == EAGAIN || $! == EWOULDBLOCK);
	return 1 if !defined $n;
	return 0;	# it answered something: still open
}

# send_some S TEXT: send TEXT, ignoring a connection not yet made
sub send_some {
	my ($s, $text) = @_;
	local $SIG{PIPE} = 'IGNORE';
	return syswrite($s, $text);
}

my $head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";

if ($mode eq 'attack') {
	my ($first, $last, $per, $seconds) = @args;
	my (@conns, $opened, $closed, $peak);
	$opened = $closed = $peak = 0;
	for my $a ($first .. $last) {
		for (1 .. $per) {
			my $s = open_from("127.0.0.$a");
			push @conns, [$a, $s, 0];
			$opened++ if $s;
		}
	}
	my $end = time + $seconds;
	while (time < $end) {
		my $open = 0;
		for my $c (@conns) {
			my ($a, $s) = @$c;
			if ($s && gone($s)) {
				close $s;
				$closed++;
				$s = undef;
			}
			if (!$s) {
				$s = open_from("127.0.0.$a");
				$opened++ if $s;
				$c->[1] = $s;
				$c->[2] = 0;
				next;
			}
			$open++;
			# the request line first, then one byte a second
			send_some($s, $c->[2]++ == 0 ? $head : 'a');
		}
		$peak = $open if $open > $peak;
		sleep 1;
	}
	close $_->[1] for grep { $_->[1] } @conns;
	print "opened $opened closed-by-server $closed peak-open $peak\n";
} elsif ($mode eq 'drip') {
	my ($addr, $interval, $seconds) = @args;
	my $s = open_from($addr) or die "cannot connect from $addr\n";
	my $start = time;
	my $sent = 0;
	while (time - $start < $seconds) {
		if (gone($s)) {
			printf "closed after %.1f\n", time - $start;
			exit 0;
		}
		send_some($s, $sent++ == 0 ? $head : 'a');
		sleep $interval;
	}
	printf "open after %d\n", $seconds;
} elsif ($mode eq 'hold') {
	my ($addr, $n, $wait) = @args;
	my @conns = grep { defined } map { open_from($addr) } 1 .. $n;
	sleep 0.2;
	send_some($_, $head) for @conns;
	sleep $wait;
	my $open = grep { !gone($_) } @conns;
	print "$open\n";
} else {
	die "unknown mode $mode\n";
}
