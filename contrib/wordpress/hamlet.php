<?php
/**
 * Plugin Name: hamlet for Akismet
 * Description: Sends the Akismet plugin's calls to a self-hosted hamlet server instead of
 *              rest.akismet.com. The Akismet plugin itself is not changed.
 * Version:     1.0.0
 * License:     same as hamlet
 *
 * Install: copy this file into the must-use plugin directory (wp-content/mu-plugins/; on
 * Debian /var/lib/wordpress/wp-content/mu-plugins/) and add to wp-config.php:
 *
 *     define( 'HAMLET_URL', 'http://127.0.0.1:8080' );   // where hamletd listens
 *
 * Without HAMLET_URL (or with it empty) this plugin does nothing. Only requests to
 * rest.akismet.com and KEY.rest.akismet.com are touched; every other HTTP call WordPress
 * makes is left alone. See docs/wordpress.md in the hamlet repository.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_filter( 'pre_http_request', 'hamlet_akismet_redirect', 10, 3 );

/**
 * The hamlet base URL without a trailing slash, or '' when none is configured.
 */
function hamlet_akismet_base_url() {
	if ( ! defined( 'HAMLET_URL' ) || ! is_string( HAMLET_URL ) ) {
		return '';
	}
	return rtrim( trim( HAMLET_URL ), '/' );
}

/**
 * pre_http_request filter: answers a call meant for Akismet by making the same call (method,
 * body, headers, timeout) to hamlet. Returns $preempt unchanged for every other URL.
 */
function hamlet_akismet_redirect( $preempt, $args, $url ) {
	if ( false !== $preempt ) {
		return $preempt; // another plugin answered already
	}
	$base = hamlet_akismet_base_url();
	if ( '' === $base ) {
		return $preempt;
	}
	$parts = wp_parse_url( $url );
	if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
		return $preempt;
	}
	$host = strtolower( $parts['host'] );
	$akismet = 'rest.akismet.com';
	if ( $host !== $akismet && substr( $host, -strlen( '.' . $akismet ) ) !== '.' . $akismet ) {
		return $preempt;
	}

	$target = $base . ( isset( $parts['path'] ) ? $parts['path'] : '/' );
	if ( isset( $parts['query'] ) && '' !== $parts['query'] ) {
		$target .= '?' . $parts['query'];
	}
	// The Akismet plugin sets "Host: rest.akismet.com"; hamlet's own host goes instead. The key
	// travels in the body (api_key), so nothing is lost.
	if ( isset( $args['headers'] ) && is_array( $args['headers'] ) ) {
		foreach ( array_keys( $args['headers'] ) as $name ) {
			if ( 'host' === strtolower( $name ) ) {
				unset( $args['headers'][ $name ] );
			}
		}
	}
	// wp_remote_request, not wp_safe_remote_request: hamlet usually listens on a loopback or
	// private address, which the "safe" variant refuses. The target is not *.akismet.com, so
	// this filter lets the inner call through.
	return wp_remote_request( $target, $args );
}
